"""Site pages the city edits itself (Impressum, Datenschutz, Barrierefreiheit, Nutzungsbedingungen, Leichte
Sprache) with their version history, consent to the terms and the privacy text, and barrier reports."""
