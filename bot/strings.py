"""What the runtime outside the command line says (bot/scoring_setup.py,
bot/directory_job.py), in English (the msgids); the CLI says it in the operator's language
(handlers.i18n.say). Constants only, importing nothing (bot/catalogue.py reads it alone).
"""

# A scoring or metrics file perfbot can't start with (bot/scoring_setup.py).
SETUP_FILE = "{origin}: {problems}"
UNKNOWN_METRIC = "scorecards.{key}.dimensions[{i}].metric: unknown metric {metric!r}{hint}"
DEFINE_METRIC = " (define it under metrics: in PERFBOT_SOURCES)"
NOT_VALID_YAML = "{where}not valid YAML"
