import { randomInt } from 'node:crypto';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** CodeDeploy's deployment ids: "d-" and nine upper-case letters and digits. */
export const newDeploymentId = (): string => `d-${Array.from({ length: 9 }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('')}`;

export const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;
