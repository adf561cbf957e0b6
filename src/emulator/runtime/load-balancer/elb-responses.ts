import type { ServerResponse } from 'node:http';

/**
 * Responses the load balancer itself generates, with ALB's status lines and
 * its small HTML bodies, so clients see what they would see from ALB.
 */

export type ElbErrorStatus = 502 | 503 | 504;

const TITLES: Record<ElbErrorStatus, string> = {
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};

export const ELB_SERVER_HEADER = 'awselb/2.0';

export function elbErrorBody(status: ElbErrorStatus): string {
  const title = TITLES[status];
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

export function sendElbError(res: ServerResponse, status: ElbErrorStatus): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = elbErrorBody(status);
  res.writeHead(status, {
    server: ELB_SERVER_HEADER,
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
    connection: 'keep-alive',
  });
  res.end(body);
}

export function sendFixedResponse(
  res: ServerResponse,
  response: { statusCode: number; contentType: string | undefined; body: string | undefined },
): void {
  const body = response.body ?? '';
  res.writeHead(response.statusCode, {
    server: ELB_SERVER_HEADER,
    'content-type': response.contentType ?? 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
