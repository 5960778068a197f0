"""News in from where it lives: web pages (:mod:`~geomap.fetch.pages`), feeds
(:mod:`~geomap.fetch.feeds`) and Telegram channel exports (:mod:`~geomap.fetch.telegram`), saved
as articles with their provenance (:mod:`~geomap.fetch.story`) by ``geomap add`` and ``geomap
follow`` (:mod:`~geomap.fetch.add`), fetched politely (:mod:`~geomap.fetch.polite`). Nothing is
fetched unless one of these commands is run.
"""
