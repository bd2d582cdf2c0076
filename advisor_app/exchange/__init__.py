"""Export packages for partners and their transports."""
