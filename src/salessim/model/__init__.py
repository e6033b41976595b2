"""The discrete-event model of a sales organisation."""
