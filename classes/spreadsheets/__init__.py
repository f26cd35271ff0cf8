"""Excel and CSV files: reading uploads, the import-export resources and widgets, the blank template."""
