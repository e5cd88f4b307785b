export { startCallbackSink, type CallbackSink, type CallbackSinkOptions, type ReceivedCallback } from "./sink";
