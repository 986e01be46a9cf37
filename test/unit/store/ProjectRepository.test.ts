import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';

function repository() {
  let tick = Date.parse('2026-11-01T00:00:00.000Z');
  let id = 0;
  return new ProjectRepository(openDatabase(':memory:'), {
    now: () => new Date((tick += 1000)),
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
  });
}

describe('ProjectRepository', () => {
  it('creates, lists newest first, renames and deletes', () => {
    const projects = repository();
    const a = projects.create('Alpha');
    const b = projects.create('Beta');
    expect(projects.list().map((p) => p.name)).toEqual(['Beta', 'Alpha']);
    const renamed = projects.rename(a.id, 'Alpha 2');
    expect(renamed.name).toBe('Alpha 2');
    expect(renamed.updatedAt > renamed.createdAt).toBe(true);
    expect(projects.list().map((p) => p.name)).toEqual(['Alpha 2', 'Beta']);
    projects.delete(b.id);
    expect(projects.list().map((p) => p.id)).toEqual([a.id]);
  });

  it('refuses a name that differs only by case, naming the existing project', () => {
    const projects = repository();
    projects.create('Firewall');
    expect(() => projects.create('FIREWALL')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'A project named "Firewall" already exists' }));
  });

  it('allows renaming a project to a different case of its own name', () => {
    const projects = repository();
    const p = projects.create('firewall');
    expect(projects.rename(p.id, 'Firewall').name).toBe('Firewall');
  });

  it('refuses renaming onto another project name', () => {
    const projects = repository();
    projects.create('A');
    const b = projects.create('B');
    expect(() => projects.rename(b.id, 'a')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('reports missing projects with their id', () => {
    const projects = repository();
    const missing = '00000000-0000-4000-8000-999999999999';
    expect(() => projects.get(missing)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining(missing) }));
    expect(() => projects.delete(missing)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => projects.rename(missing, 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('finds by id first, then by case-insensitive name', () => {
    const projects = repository();
    const p = projects.create('Load Balancer');
    expect(projects.find(p.id).id).toBe(p.id);
    expect(projects.find('load balancer').id).toBe(p.id);
    expect(() => projects.find('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
