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
