# Kept for tools that still call setup.py; pyproject.toml is the source of truth.
from setuptools import find_packages, setup

from crm_plus import __version__ as version

setup(
	name="crm_plus",
	version=version,
	description="CRM for ERPNext v15",
	author="crm_plus developers",
	license="GPL-3.0-only",
	packages=find_packages(),
	zip_safe=False,
	include_package_data=True,
	python_requires=">=3.10",
)
