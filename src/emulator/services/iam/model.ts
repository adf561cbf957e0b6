import type { Tag } from '@aws-sdk/client-iam';

/** One IAM role as GetRole shows it, before its policy document is URL-encoded for the wire. */
export interface StoredRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: Date;
  /** As the caller sent it; responses carry it URL-encoded, as IAM returns every policy document. */
  AssumeRolePolicyDocument: string;
  Description: string | undefined;
  MaxSessionDuration: number;
  /** Stored and shown, not checked: managed policies are not emulated. */
  PermissionsBoundary: string | undefined;
  Tags: Tag[];
}
