"""Spreadsheets in and out: the trackers associations kept before Boussole (CSV, xlsx, xls,
ods) read into typed records, and the list of cases written back for a funder's sheet.

Knows nothing of the workspace: `advisor_app.services.sheet_import` applies the records."""
