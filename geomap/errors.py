"""The exceptions geomap raises; the CLI turns each into a clear message and an exit code."""


class GeomapError(Exception):
    """Base of every error geomap reports to the user."""


class InputError(GeomapError):
    """An article or folder that cannot be read: missing, unreadable, undecodable or empty."""


class DataError(GeomapError):
    """Gazetteer or boundary data missing or corrupt."""


class CatalogError(GeomapError):
    """The catalog of parsed articles cannot be opened or is corrupt."""


class BusyError(GeomapError):
    """Another geomap process is building the same output folder."""


class FetchError(GeomapError):
    """A URL, feed or export that could not be fetched or read, or is not what it should be (not
    an article, not a feed). ``transient`` failures (timeouts, 429 and 5xx once the retries are
    spent, a network error) are worth trying again later; the others are not."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
