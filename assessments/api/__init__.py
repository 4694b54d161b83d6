"""The REST API of the assessments app, one module per resource; `api_urls` routes it."""
