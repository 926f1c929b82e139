"""Command line (placeholder while the foundation is written)."""


def main() -> None:
    print("diplograph")
