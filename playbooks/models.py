"""Campaign plans and rendered playbook documents arrive with the playbooks issue."""
