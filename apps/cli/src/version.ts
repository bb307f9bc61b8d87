// Replaced at bundle time would be nicer; one constant keeps `orc --version` free of file reads.
export const version = '0.1.0';
