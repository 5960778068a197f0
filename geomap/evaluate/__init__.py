"""Scoring geomap against gold: the mentions (:mod:`.mentions`, the rules of the project's
``score.py``) and the events (:mod:`.events`)."""
