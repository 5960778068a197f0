"""OpenStreetMap's Nominatim (``/search``), through geopy. Its usage policy asks for at most one
request a second and an identifying User-Agent; both are required here."""
from __future__ import annotations

from typing import Any

from geopy.geocoders import Nominatim as GeopyNominatim
from geopy.location import Location

from geomap.geocode.base import OnlineGeocoder

FEATURES = {"country": "country", "state": "admin1", "province": "admin1", "region": "admin1",
            "city": "city", "town": "city", "village": "city", "hamlet": "city",
            "suburb": "city", "municipality": "city", "county": "admin2", "district": "admin2"}


class Nominatim(OnlineGeocoder):
    """Nominatim at ``nominatim.openstreetmap.org``, or your own instance (``domain``)."""

    name = "nominatim"
    default_domain = "nominatim.openstreetmap.org"

    def _service(self, **options: Any) -> GeopyNominatim:
        options["domain"] = options["domain"] or self.default_domain
        return GeopyNominatim(**options)

    def _ask(self, query: str, country: str | None) -> Location | None:
        return self.service.geocode(query, exactly_one=True, addressdetails=True,
                                    country_codes=country.lower() if country else None)

    def _feature(self, raw: dict) -> tuple[str, str | None]:
        kind = raw.get("addresstype") or raw.get("type", "")
        code = (raw.get("address") or {}).get("country_code")
        return FEATURES.get(kind, "other"), code.upper() if code else None
