"""The bottom layer under academy, grading and the hub plug-ins: settings (read once from the
environment), runtime paths, Unix helpers and the academy database's base. Imports none of them."""
