// The bundle of Uppy 5.2.4 (/vendor/uppy.min.mjs, from the npm package uppy; see the pom) exports
// every plugin by name. upload-direct.js takes two; their types come from the packages that
// bundle pins, @uppy/core 5.2.0 and @uppy/aws-s3 5.1.0 (package.json's devDependencies). Not served.
export { default as Uppy } from '@uppy/core';
export { default as AwsS3 } from '@uppy/aws-s3';
