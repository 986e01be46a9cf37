import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './createPreloadApi.ts';

contextBridge.exposeInMainWorld('api', createPreloadApi(ipcRenderer));
