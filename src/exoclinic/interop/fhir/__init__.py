"""FHIR R4 (4.0.1) resources built as plain dicts from the clinic's records, one module per resource group.

Mappers are pure functions of already-loaded model rows (no queries of their own); the selectors in
``exoclinic.interop.selectors`` load the rows in a fixed number of queries per page.
"""
