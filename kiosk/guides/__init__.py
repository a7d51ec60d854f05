"""Making guides: "how to do it here" guides from the kiosk's own screens (``kiosk guides build``)."""
