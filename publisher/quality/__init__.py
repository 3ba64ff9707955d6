"""Quality: the lint over the source, every format's checks of the built
files, and the report (``publisher check``). Imports go one way:
check → lint, outcome, report; report → outcome; nothing here imports a writer."""
