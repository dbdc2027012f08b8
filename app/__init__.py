"""Quartierswerkstatt: participation platform for Stuttgart's Rahmenkonzeption soziale Quartiersentwicklung."""
