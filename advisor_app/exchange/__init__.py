"""Export packages for partners, their validation, transports and calendar files.

This layer knows nothing of the storage or the services: it turns plain data into files
and files into checked plain data, and moves files to a partner's drop.
"""
