"""The interface every online geocoding service implements, with what they share: requests
spaced by the service's minimum delay, retries with exponential backoff, the disk cache and the
join to admin-1 units."""
from __future__ import annotations

import time
from typing import Any, Callable

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.geo import join
from geomap.geocode.cache import AnswerCache
from geomap.models import Place

RETRYABLE = (GeocoderTimedOut, GeocoderRateLimited, GeocoderUnavailable)
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is cut to this


class Spaced:
    """``ask``, called no sooner than ``min_delay_seconds`` after the previous call *returned*
    (as geomap's fetcher spaces requests to a host), so the service sees two requests at least
    that far apart however long one took to reach it. geopy's RateLimiter counts from the
    previous call's start, which lets a request delayed on its way arrive right before the next."""

    def __init__(self, ask: Callable[..., Any], min_delay_seconds: float) -> None:
        self.ask, self.min_delay_seconds = ask, min_delay_seconds
        self._last_answer: float | None = None

    def __call__(self, *args: Any) -> Any:
        if self._last_answer is not None:
            time.sleep(max(0.0, self._last_answer + self.min_delay_seconds - time.monotonic()))
        try:
            return self.ask(*args)
        finally:
            self._last_answer = time.monotonic()


def retryable(error: GeocoderServiceError) -> bool:
    """Timeouts, 429 and 5xx: worth asking again. (geopy raises the bare base class for 5xx.)"""
    return isinstance(error, RETRYABLE) or type(error) is GeocoderServiceError


class OnlineGeocoder:
    """A geopy geocoder behind geomap's interface: :meth:`lookup` a name, get a :class:`Place`.

    geopy's urllib adapter is used, as it does not retry on its own: retries are counted here.

    Subclasses set ``name`` and implement :meth:`_service`, :meth:`_ask` and :meth:`_feature`.
    """

    name = ""

    def __init__(self, user_agent: str, *, domain: str | None = None, scheme: str = "https",
                 timeout: float = 10.0, min_delay: float = 1.0, retries: int = 3,
                 backoff: float = 2.0, cache: AnswerCache | None = None) -> None:
        self.service = self._service(user_agent=user_agent, domain=domain, scheme=scheme,
                                     timeout=timeout, adapter_factory=URLLibAdapter)
        self.ask = Spaced(self._ask_parsed, min_delay)
        self.retries, self.backoff = retries, backoff
        self.cache = cache or AnswerCache()
        self.source = domain or self.default_domain

    default_domain = ""

    def _service(self, **options: Any) -> Geocoder:
        raise NotImplementedError

    def _ask(self, query: str, country: str | None) -> Location | None:
        raise NotImplementedError

    def _ask_parsed(self, query: str, country: str | None) -> Location | None:
        """:meth:`_ask`, with an answer geopy cannot read raised as a parse error."""
        try:
            return self._ask(query, country)
        except (KeyError, TypeError, ValueError) as e:
            raise GeocoderParseError(f"unexpected answer: {e!r}") from e

    def _feature(self, raw: dict) -> tuple[str, str | None]:
        """``(feature, ISO country code)`` of a raw answer."""
        raise NotImplementedError

    def lookup(self, query: str, country: str | None = None) -> Place | None:
        """The place ``query`` names (in ``country``, when given), or None if the service knows
        none; cached, so each query goes out once ever. Raises geopy's errors when it fails."""
        key = (f"{self.name}@{self.source}", query, country or "")
        known, place = self.cache.get(*key)
        if not known:
            place = self._place(self._with_retries(query, country))
            self.cache.put(*key, place)
        return place

    def _with_retries(self, query: str, country: str | None) -> Location | None:
        for attempt in range(self.retries + 1):
            try:
                return self.ask(query, country)
            except GeocoderServiceError as e:
                if attempt == self.retries or not retryable(e):
                    raise
                time.sleep(self._wait(e, attempt))
        raise AssertionError("unreachable")

    def _wait(self, error: GeocoderServiceError, attempt: int) -> float:
        wait = self.backoff * 2 ** attempt
        retry_after = getattr(error, "retry_after", None)
        return max(wait, min(retry_after, MAX_RETRY_AFTER)) if retry_after else wait

    def _place(self, location: Location | None) -> Place | None:
        if location is None:
            return None
        try:
            raw = dict(location.raw)
            feature, country = self._feature(raw)
            lat, lon = float(location.latitude), float(location.longitude)
        except (KeyError, TypeError, ValueError) as e:
            raise GeocoderParseError(f"unexpected answer: {e!r}") from e
        located_country, admin1 = join.locate([(lat, lon)])[0]
        admin1 = admin1 if feature == "city" else None
        return Place(name=location.address.split(",")[0].strip(), feature=feature,
                     country=country or located_country, lat=lat, lon=lon, admin1=admin1,
                     admin1_all=[admin1] if admin1 else [])
