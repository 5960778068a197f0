"""Geography: the boundaries of countries and first-level regions (:mod:`.boundaries`), the join
of points to them (:mod:`.join`) and distances (:mod:`.distance`)."""
