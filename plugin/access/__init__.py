"""Role-based access to personal data: levels, policies, masking and vendor-user mapping.

Import the submodules (``plugin.access.policy``, ``.mapping``, ``.render``); this package
stays empty because ``plugin.manifest`` imports ``plugin.access.manifest_schema``.
"""
