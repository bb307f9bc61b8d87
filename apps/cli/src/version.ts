// Replaced at bundle time would be nicer; one constant keeps `orc --version` free of file reads.
export const version = '0.1.0';
/** The compose version orc answers as when it stands in for compose (`docker compose version --short`). */
export const composeVersion = '2.30.0';
