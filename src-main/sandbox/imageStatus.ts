import type Docker from 'dockerode';

export interface ImageStatus {
  image: string;
  present: boolean;
  sizeBytes?: number;
  created?: string;
}

/** Whether an image is in the engine, with its size and age. */
export async function imageStatus(docker: Docker, image: string): Promise<ImageStatus> {
  try {
    const info = await docker.getImage(image).inspect();
    return { image, present: true, sizeBytes: info.Size, created: info.Created };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return { image, present: false };
    throw error;
  }
}
