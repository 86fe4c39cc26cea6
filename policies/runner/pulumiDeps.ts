/**
 * The gRPC stack the runner talks to the pack with, loaded through `@pulumi/pulumi`'s own
 * dependencies rather than this package's.
 *
 * Why: `@pulumi/pulumi/proto/*_pb` builds and serializes its messages with the google-protobuf
 * copy `@pulumi/pulumi` resolves, so the runner's `Struct`s and the gRPC client must be that copy
 * too. And this package does not declare `@grpc/grpc-js` or `google-protobuf`: under a nested
 * install (`npm install --install-strategy=nested`), pnpm or Yarn PnP only `@pulumi/pulumi` can see
 * them, so a plain `require("google-protobuf/...")` from here fails with MODULE_NOT_FOUND.
 */
import { createRequire } from "module";
import type * as GrpcModule from "@grpc/grpc-js";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";

/** `require` as seen from the `@pulumi/pulumi` this module's `@pulumi/pulumi/proto` imports resolve to. */
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof GrpcModule;
export const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof EmptyModule;
export type Empty = EmptyModule.Empty;
export const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;
export type Struct = StructModule.Struct;
