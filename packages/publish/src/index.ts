export {
  publishFile,
  createStoreClient,
  DEFAULT_CACHE_CONTROL,
  type PublishOptions,
  type PublishedFile,
} from './publish-file.js';
export * from './without-store.js';
export { copyObject, downloadObject, getBytes, MAX_WHOLE_OBJECT_BYTES, hashObject, listObjects, objectState, putBytes, type ListedObject } from './store/bucket-objects.js';
export { storeFailure, storeStatusOf } from './store/store-failure.js';
