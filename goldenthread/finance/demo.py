"""Demo data of the finance app (filled in by the finance work)."""


def load(by, report) -> None:
    """Load this app's demo data from goldenthread/demo/data; safe to run twice."""
