"""cslint: a linter for customer-service conversations."""


def __getattr__(name: str) -> str:
    # The version is looked up only when asked for (``--version``, JSON/SARIF output):
    # reading package metadata costs ~25 ms, on the start-up path of every run.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("cslint")
        except PackageNotFoundError:  # running from a source tree that was never installed
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'cslint' has no attribute {name!r}")
