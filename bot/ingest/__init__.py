"""Push ingestion: business systems POST signed records (`perfbot serve ingest`)."""
