"""Data protection impact assessments (GDPR Art. 35), drafted from the live inventory."""
