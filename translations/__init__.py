"""Boussole's gettext catalogues: installed as the package `advisor_app.translations`, read
through `advisor_app.package_files.catalogue_folder`."""
