import packageJson from '../../package.json' with { type: 'json' };

export const appName = 'Service Creator';
export const appVersion: string = packageJson.version;
