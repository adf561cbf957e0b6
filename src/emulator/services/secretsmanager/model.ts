import type { Tag } from '@aws-sdk/client-secrets-manager';

/** One version of a secret's value. SecretBinary is kept as the base64 text the JSON protocol carries. */
export interface StoredSecretVersion {
  VersionId: string;
  SecretString?: string;
  SecretBinary?: string;
  CreatedDate: Date;
  VersionStages: string[];
}

/** One secret as DescribeSecret shows it, with its versions. */
export interface StoredSecret {
  Name: string;
  /** arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX */
  ARN: string;
  Description?: string;
  KmsKeyId?: string;
  Tags: Tag[];
  CreatedDate: Date;
  LastChangedDate: Date;
  /** Midnight UTC of the last day the value was read; absent until then. */
  LastAccessedDate?: Date;
  /** When DeleteSecret scheduled the deletion; absent while the secret is live. */
  DeletedDate?: Date;
  /** When a scheduled deletion takes effect (DeleteSecret's DeletionDate). */
  DeletionDate?: Date;
  versions: StoredSecretVersion[];
}
