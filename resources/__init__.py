"""Files shipped with Boussole: installed as the package `advisor_app.resources`, read
through `advisor_app.package_files.resource`."""
