import { AppError } from '../../src-shared/AppError.ts';

/**
 * Why the keychain could not be used:
 * - `no-service`: nothing answers (Linux: no D-Bus session bus or no Secret Service on it);
 * - `locked`: the keyring is locked and could not be unlocked (no prompt possible, or dismissed);
 * - `no-default-keyring`: the Secret Service has no default keyring to store into;
 * - `module-missing`: the native keychain module failed to load on this platform;
 * - `failed`: any other refusal of the platform store.
 */
export type KeychainFailureReason = 'no-service' | 'locked' | 'no-default-keyring' | 'module-missing' | 'failed';

export type KeychainOperation = 'read' | 'write' | 'delete';

export interface KeychainUnavailableDetails {
  reason: KeychainFailureReason;
  platform?: NodeJS.Platform;
  operation?: KeychainOperation;
  /** What the platform said, already stripped of any secret (see `sanitizeNativeMessage`). */
  detail?: string;
}

/** The platform's credential store in words. */
export function platformStoreName(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    default:
      return 'Secret Service';
  }
}

const headlessHint = 'or set OPENAI_API_KEY / ANTHROPIC_API_KEY (or the provider\'s apiKeyEnv variable) in the environment for headless use';

function describe(reason: KeychainFailureReason, platform: NodeJS.Platform, operation: KeychainOperation | undefined): string {
  const store = platformStoreName(platform);
  const doing = operation === undefined ? 'use' : { read: 'read from', write: 'write to', delete: 'delete from' }[operation];
  if (platform === 'darwin') {
    return reason === 'locked'
      ? `The macOS Keychain is locked: unlock the login keychain (Keychain Access) and allow Service Creator access, ${headlessHint}`
      : `Could not ${doing} the macOS Keychain: check the login keychain in Keychain Access, ${headlessHint}`;
  }
  if (platform === 'win32') {
    return `Could not ${doing} Windows Credential Manager: check that the Credential Manager service is running for your user, ${headlessHint}`;
  }
  switch (reason) {
    case 'no-service':
      return `No Secret Service is running: install and unlock GNOME Keyring or KWallet, ${headlessHint}`;
    case 'locked':
      return `The Secret Service keyring is locked and could not be unlocked: unlock GNOME Keyring or KWallet (log in to the desktop session, or open "Passwords and Keys"), ${headlessHint}`;
    case 'no-default-keyring':
      return `The Secret Service has no default keyring: create one in GNOME Keyring ("Passwords and Keys") or KWallet and unlock it, ${headlessHint}`;
    case 'module-missing':
      return `The ${store} module could not be loaded on this system: reinstall Service Creator, ${headlessHint}`;
    case 'failed':
      return `Could not ${doing} the ${store}: make sure GNOME Keyring or KWallet is running and unlocked, ${headlessHint}`;
  }
}

/**
 * The OS keychain cannot be used. Raised instead of ever storing a key anywhere else: there is
 * no plaintext fallback. Never carries the native error as `cause` (a native message is copied
 * into `detail` only after `sanitizeNativeMessage`), so logging it cannot leak a secret.
 */
export class KeychainUnavailableError extends AppError {
  readonly reason: KeychainFailureReason;
  readonly platform: NodeJS.Platform;
  readonly operation: KeychainOperation | undefined;
  readonly detail: string | undefined;

  constructor(details: KeychainUnavailableDetails) {
    const platform = details.platform ?? process.platform;
    const base = describe(details.reason, platform, details.operation);
    super('KEYCHAIN_UNAVAILABLE', details.detail ? `${base}. (${platformStoreName(platform)}: ${details.detail})` : `${base}.`);
    this.name = 'KeychainUnavailableError';
    this.reason = details.reason;
    this.platform = platform;
    this.operation = details.operation;
    this.detail = details.detail;
  }
}

const maxDetailLength = 300;

/**
 * A native error message made safe to show and log: the secret (when known) is replaced in its
 * plain and JSON-escaped forms, any byte list (a Debug-printed credential) and anything shaped
 * like an API key is removed, whitespace is collapsed and the length capped.
 */
export function sanitizeNativeMessage(message: string, secret?: string): string {
  let text = message;
  if (secret) {
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
    for (const form of forms) if (form) text = text.split(form).join('[redacted]');
  }
  text = text
    .replace(/\[\s*\d{1,3}(?:\s*,\s*\d{1,3}){3,}\s*,?\s*\]/g, '[bytes redacted]')
    .replace(/\b(?:sk|pk|rk|key|api|token)[-_][A-Za-z0-9_-]{8,}/gi, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxDetailLength ? `${text.slice(0, maxDetailLength)}…` : text;
}
