// Whole-number settings from the server's environment (PLAN_SYNC_CONCURRENCY, PLAN_SYNC_PARSE_TIMEOUT_MS): unset
// or empty is the default; anything but a whole number from 1 up is a warning and the default, never a crash.

export interface SettingsLog {
  warn(fields: object, message: string): void;
}

export function wholeNumberSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  log: SettingsLog,
): number {
  const value = env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed >= 1) return parsed;
  log.warn({ [name]: value }, `plan-sync: ${name} must be a whole number from 1 up: using ${fallback}`);
  return fallback;
}
