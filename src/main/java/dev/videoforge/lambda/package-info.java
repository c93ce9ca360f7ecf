/**
 * The gallery and streaming read routes as an AWS Lambda function behind API Gateway (REST proxy
 * v1, HTTP API v2) or a Lambda function URL: the same controllers, run by the AWS serverless
 * Java container instead of Tomcat.
 */
package dev.videoforge.lambda;
