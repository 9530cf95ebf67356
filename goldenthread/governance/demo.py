"""Demo data of the governance app (filled in by the governance work)."""


def load(by, report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
