"""PDF documents (reportlab) built from the services' read models."""
