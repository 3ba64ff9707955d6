"""One module per format; the table of them is ``publisher.formats``."""
