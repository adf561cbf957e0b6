import type { ParameterTier, ParameterType, Tag } from '@aws-sdk/client-ssm';

/** One version of a parameter: what PutParameter wrote. */
export interface StoredParameterVersion {
  Version: number;
  Type: ParameterType;
  Value: string;
  LastModifiedDate: Date;
  LastModifiedUser: string;
  Description?: string;
  AllowedPattern?: string;
  /** SecureString only: the KMS key the value is (said to be) encrypted with. */
  KeyId?: string;
  Tier: ParameterTier;
  DataType: string;
}

/** A parameter and its versions, oldest first (at most 100, as Parameter Store keeps). */
export interface StoredParameter {
  Name: string;
  versions: StoredParameterVersion[];
  Tags: Tag[];
}
