/**
 * intergalactic-infra: cloud-neutral Pulumi components for AWS and Azure.
 *
 * Importing this module loads neither cloud SDK: each component loads its
 * cloud's implementation (and SDK) only when it is built, so an AWS program
 * never loads `@pulumi/azure-native` and an Azure program never loads `@pulumi/aws`.
 * CookieServices brings in `@pulumi/kubernetes`; a program that does not deploy
 * services can import the modules it uses instead (`intergalactic-infra/network`, ...).
 */
export * from "./common";
export * from "./network";
export * from "./bastion";
export * from "./redis";
export * from "./mongo";
export * from "./kafka";
export * from "./kubernetes";
export * from "./services";
export * from "./entry";
