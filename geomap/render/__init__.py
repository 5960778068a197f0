"""HTML outputs: the self-contained map (:mod:`.map`, assembled from :mod:`.layout`, the
boundaries of :mod:`.basemap` and the script and styles in ``static/``) and one reader page per
article (:mod:`.pages`)."""
