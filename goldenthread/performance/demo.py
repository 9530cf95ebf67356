"""Demo data of the performance app (filled in by the performance work)."""


def load(by, report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
