"""The application: the `newsarchive` command line and the operations that join the layers.

`crawler/` discovers, fetches and extracts, writing through `archive/`'s API; `archive/` stores,
searches and publishes. Only this package uses both (see ARCHITECTURE.md).
"""
